# A reusable build environment: compiler and make, no sources.
# The sources come in at run time through a bind mount.
FROM gcc:16
WORKDIR /src
