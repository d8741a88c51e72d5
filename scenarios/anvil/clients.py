"""ACME client adapters and the runner, in one import for the scenario runner and the tests:

    from anvil.clients import ADAPTERS, Target, run_issue
    outcome = run_issue(ADAPTERS["uacme"], Target(...))

Target, Step and Service are in anvil.plan, the Adapter interface in anvil.adapter, each client in
anvil.adapters.<client>, run_issue and Outcome in anvil.run.
"""
from .adapter import Adapter
from .adapters.acme_tiny import AcmeTiny
from .adapters.certbot import Certbot
from .adapters.dehydrated import Dehydrated
from .adapters.lego import Lego
from .adapters.python_acme import PythonAcme
from .adapters.uacme import Uacme
from .plan import Service, Step, Target
from .run import Outcome, ServiceResult, StepResult, run_issue

ADAPTERS = {adapter.name: adapter for adapter in
            (Lego(), Certbot(), PythonAcme(), Dehydrated(), Uacme(), AcmeTiny())}

__all__ = ["ADAPTERS", "Adapter", "AcmeTiny", "Certbot", "Dehydrated", "Lego", "Outcome",
           "PythonAcme", "Service", "ServiceResult", "Step", "StepResult", "Target", "Uacme",
           "run_issue"]
