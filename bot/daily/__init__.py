"""Daily takeaway posts: subscriptions (from chat and configuration), when each is due, the
rotation of takeaways, and the scheduler that posts them exactly once a day per channel."""
