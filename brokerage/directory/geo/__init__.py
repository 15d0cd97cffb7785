"""Offline geography: postcodes and districts, the ONS Postcode Directory, distances, and the
optional online geocoder that places a venue on the map."""
