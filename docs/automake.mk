EXTRA_DIST += \
	docs/design.rst
