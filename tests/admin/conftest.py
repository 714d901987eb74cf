"""Admin tests use the people of tests/conftest.py."""
