"""What every app shares and that depends on no app: transformer inference on CPU (inference.py)."""
