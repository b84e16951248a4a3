#!/usr/bin/env python3
"""Writes Tests/NNTests/Fixtures/numpy.safetensors with the reference writer (PyPI
`safetensors`, numpy backend) so the Swift reader is tested against a file it did not write.

Offline only: run once, commit the small fixture.  pip install safetensors numpy
The values are simple formulas the Swift test recomputes."""
import numpy as np
from safetensors.numpy import save_file

a = np.arange(6, dtype=np.float32).reshape(2, 3) * 0.5 - 1.0          # F32 (2, 3)
h = (np.arange(8, dtype=np.float32) / 4.0 - 1.0).astype(np.float16)      # F16 (8,), exact in half
m = np.linspace(-2.0, 2.0, 12, dtype=np.float32).reshape(3, 4)           # F32 (3, 4)
save_file({"a": a, "half": h, "matrix": m},
          "Tests/NNTests/Fixtures/numpy.safetensors", metadata={"writer": "numpy"})
print("wrote Tests/NNTests/Fixtures/numpy.safetensors")
