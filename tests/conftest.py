"""Settings for the whole test tree.

No test may depend on how fast the machine is (CI shares two cores with other jobs): Hypothesis runs without its
per-example deadline and without the health check that fails when generating data is slow.
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings

settings.register_profile("no_wall_clock", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("no_wall_clock")
