# Networks, secrets and configs, and their refusals.
node1$ docker swarm init --advertise-addr 127.0.0.1
node1$ docker network ls --format '{{.Name}} {{.Driver}} {{.Scope}}'
node1$ docker network create -d overlay --attachable front
node1$ ! docker network create -d overlay front
node1$ docker network inspect -f '{{.Name}} {{.Scope}} {{.Attachable}} {{range .IPAM.Config}}{{.Subnet}} {{.Gateway}}{{end}}' front ingress
node1$ ! docker network rm bridge
node1$ ! docker network inspect nope
node1$ docker secret create db_pw tests/oracle/compose/pw.txt
node1$ ! docker secret create db_pw tests/oracle/compose/pw.txt
node1$ docker secret ls --format '{{.Name}}'
node1$ docker config create app_conf tests/oracle/compose/app.conf
node1$ docker config inspect -f '{{.Spec.Name}} {{printf "%s" .Spec.Data}}' app_conf
node1$ docker service create --no-resolve-image -d -q --name sv --network front --secret db_pw --config source=app_conf,target=/etc/app.conf busybox sleep 1000
node1$ ! docker secret rm db_pw
node1$ ! docker config rm app_conf
node1$ ! docker network rm front
node1$ docker service rm sv
node1$ sleep 5
node1$ docker secret rm db_pw
node1$ docker config rm app_conf
node1$ docker network rm front
node1$ ! docker secret inspect db_pw
node1$ docker swarm leave --force
