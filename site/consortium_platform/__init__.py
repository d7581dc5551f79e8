"""Platform operations of the consortium instance: set-up of a fresh instance."""
