"""The Slack platform: the only place that imports slack_sdk or slack_bolt."""
