"""Souk shop: catalogues, carts and orders in chat; stock is never oversold."""
