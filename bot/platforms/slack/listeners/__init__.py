"""One listener per file, registered explicitly by bot.platforms.slack.app.register."""
