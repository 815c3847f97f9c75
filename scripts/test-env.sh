# Sourced by make test/bench: settings that scripts/ensure-services.sh found or started.
if [ -f var/test-env ]; then source var/test-env; fi
