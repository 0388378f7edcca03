import os

os.environ.setdefault("FREIGHTDESK_TESTING", "1")
os.environ.setdefault("AXES_ENABLED", "0")
