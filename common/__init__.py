"""Pure-Python rules every app shares (no Django, no outside system): money, names, commune outlines."""
