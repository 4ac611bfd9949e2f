"""Widgets of our own that the panels and screens are made of."""
