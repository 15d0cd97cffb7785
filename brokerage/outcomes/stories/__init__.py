"""Community reporter stories on projects: consent, who may add and withdraw them, erasing those never consented."""
