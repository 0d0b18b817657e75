"""Building the warehouse: schema, reference data, the demo generator, the importer and their commands."""
