"""One refresh: fetch every feed, parse in parser processes, store each feed."""
