"""`kubecon-bot run` as a process: building everything from the settings, starting and stopping
the services, health endpoints, metrics, logs and content reload."""
