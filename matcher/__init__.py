"""matcher: competency matching against the AMS BIS tree."""
