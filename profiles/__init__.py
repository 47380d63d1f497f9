"""Role profiles (roles/*.yaml) and the course catalogue (courses.yaml) as data. A package only
so that the wheel ships it and importlib.resources finds it; there is no code here."""
