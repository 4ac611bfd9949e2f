"""Text from strangers made safe and plain: control characters, HTML to text, boilerplate."""
