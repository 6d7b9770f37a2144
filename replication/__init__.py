"""Replications of published studies: tables, figures, provenance."""
