"""Views of the vendors app, split by area; each checks input and calls one action or selector."""
