# Two commands for a fresh machine:  make run   and   make test
.PHONY: run test stop status reset services assets lock-assets

run:            ## everything up with demo member libraries (idempotent)
	scripts/setup.sh all
	scripts/app.sh start
	scripts/demo.sh
	@echo "Platform up: http://127.0.0.1:$${WEB_PORT:-5000}  (admin@consortium.example / consortium-admin)"

test:           ## the test suite over the real services (idempotent)
	scripts/test.sh

stop:           ## stop web app, worker, beat and all services
	-scripts/app.sh stop
	scripts/services.sh stop

status:         ## what is running
	-scripts/services.sh status
	-scripts/app.sh status

reset: stop     ## delete all local data (database, indices, S3 objects, logs); keeps caches
	rm -rf .local/postgres .local/redis .local/opensearch .local/s3 .local/run .local/logs .local/instance .local/test-instance

services:
	scripts/services.sh start

assets:
	scripts/setup.sh assets

lock-assets:    ## regenerate package.json + package-lock.json after front-end bundle changes
	scripts/setup.sh assets-lock
