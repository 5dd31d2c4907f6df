# Stacks from compose files in tests/oracle/compose, run from the repository's root.
node1$ docker swarm init --advertise-addr 127.0.0.1
node1$ ! docker stack deploy x
node1$ ! docker stack deploy -c tests/oracle/compose/missing.yml x
node1$ ! docker stack deploy -c tests/oracle/compose/bad.yml x
node1$ docker stack deploy --resolve-image never -c tests/oracle/compose/app.yml app
node1$ docker stack ls
node1$ docker stack services --format '{{.Name}} {{.Mode}} {{.Image}} {{.Ports}}' app
node1$ docker network ls --filter label=com.docker.stack.namespace=app --format '{{.Name}} {{.Driver}} {{.Scope}}'
node1$ docker secret ls --format '{{.Name}} {{.Labels}}'
node1$ docker service inspect -f '{{.Spec.Labels}} {{len .Spec.TaskTemplate.Networks}}' app_web
node1$ docker stack deploy --resolve-image never -c tests/oracle/compose/app.yml app
node1$ docker stack config -c tests/oracle/compose/app.yml
node1$ ! docker stack ps nope
node1$ docker stack services nope
node1$ docker stack rm nope
node1$ docker stack rm app
node1$ docker stack ls
node1$ docker swarm leave --force
