"""Child processes of our own: starting them, the frames they speak, dying with their parent."""
