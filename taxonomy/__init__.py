"""The AMS BIS competency tree as data (YAML). A package only so that the wheel ships it and
importlib.resources finds it; there is no code here."""
