"""The public model: what is withheld or redacted, and the scan that proves none of it leaked into any output byte."""
