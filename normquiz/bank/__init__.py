"""The question bank: schema, YAML loading with locations, lint."""
