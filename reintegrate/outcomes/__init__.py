"""Evidence on the sustainability of return: the scored survey responses it reads."""
