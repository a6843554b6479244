"""Regulatory frameworks (data in ``mappings/``) and the verdict on each clause, following the model's evidence."""
