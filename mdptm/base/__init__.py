"""Foundation every stage stands on: safe reading of untrusted files, deterministic writing, copies, two-process work."""
