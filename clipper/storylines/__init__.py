"""Storylines: one event across outlets, rewrites, days and languages."""
