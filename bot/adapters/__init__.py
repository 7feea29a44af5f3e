"""Platform adapters: each translates its platform's events into core calls and renders core
replies back, nothing more. They may import the core; the core never imports them."""
