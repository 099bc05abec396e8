"""The Saleor stand-in: Saleor's schema executed by graphql-core over documents in PostgreSQL."""
