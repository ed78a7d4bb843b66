"""The OpenAPI 3 description: the schema class every view uses, the document-wide pieces, its two pages."""
