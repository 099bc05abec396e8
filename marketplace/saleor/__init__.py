"""The one adapter to Saleor 3: port, GraphQL client, stand-in, app lifecycle and webhooks."""
