"""Streamlit pages, one module each. ``app.py`` wires them into navigation."""
