"""Estimators and covariance options for dyad-year conflict models."""
