"""Readers for the official Freedom House workbooks, and country identity."""
