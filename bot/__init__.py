"""kubecon-bot: answers the KubeCon '25 Takeaways webinar Q&A in Slack and Discord."""

__version__ = "0.1.0"
