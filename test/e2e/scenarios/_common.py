"""Shared helpers for e2e scenarios: deterministic run ids and quiet, stats-free settings.

Scenarios read E2E_RUN_ID (a prefix for their run ids) so that two executions (Go core, nexus)
produce runs with the same ids on two backends, and the states can be compared directly.
"""
import os

import wandb


def run_id(suffix: str = "") -> str:
    base = os.environ.get("E2E_RUN_ID", "e2erun")
    return f"{base}{suffix}"


def settings(**extra) -> wandb.Settings:
    """System metrics off (they differ between machines and services); the rest default."""
    return wandb.Settings(x_disable_stats=True, **extra)


def project() -> str:
    return os.environ.get("E2E_PROJECT", "e2e")
