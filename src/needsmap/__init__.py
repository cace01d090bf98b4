"""needsmap: from stakeholders' customer-data needs to gap reports, model drafts and roadmap options."""

__version__ = "0.1.0"
