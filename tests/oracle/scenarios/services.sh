# Services on a single-node swarm, with a locally built busybox image (no registry).
node1$ docker swarm init --advertise-addr 127.0.0.1
node1$ docker service create --no-resolve-image --name web --replicas 2 --publish 8080:80 busybox httpd -f -p 80 -h /www
node1$ docker service ls
node1$ docker service ps --format '{{.Name}} {{.Image}} {{.DesiredState}} {{.Error}}' web
node1$ docker service ps web
node1$ docker service inspect --pretty web
node1$ docker service inspect -f '{{.Spec.Mode.Replicated.Replicas}} {{len .Endpoint.Ports}}' web
node1$ docker service scale web=3
node1$ docker service ls --format '{{.Name}} {{.Replicas}} {{.Ports}}'
node1$ docker service update --no-resolve-image --env-add COLOR=blue --update-parallelism 2 web
node1$ docker service inspect -f '{{.Spec.TaskTemplate.ContainerSpec.Env}} {{.Spec.UpdateConfig.Parallelism}}' web
node1$ docker service rollback web
node1$ docker service inspect -f '{{.Spec.TaskTemplate.ContainerSpec.Env}}' web
node1$ docker service create --no-resolve-image -d --name long --publish published=9090,target=80,mode=host busybox sleep 1000
node1$ docker service create --no-resolve-image -d --name nowhere --constraint node.labels.zone==mars busybox sleep 1000
node1$ docker service create --no-resolve-image -d --name greedy --reserve-memory 1000G busybox sleep 1000
node1$ docker service create --no-resolve-image -d --name crash --restart-condition on-failure --restart-max-attempts 2 --restart-delay 1s busybox sh -c 'exit 3'
node1$ sleep 10
node1$ docker service ps --format '{{.Name}} {{.DesiredState}} {{.Error}}' nowhere greedy
node1$ docker service ps --format '{{.Name}} {{.DesiredState}} {{.Error}}' crash
node1$ docker service ls --format '{{.Name}} {{.Mode}} {{.Replicas}} {{.Ports}}'
node1$ docker service create --no-resolve-image -d --name talk busybox sh -c 'echo hello from talk; sleep 1000'
node1$ sleep 3
node1$ docker service logs --no-task-ids talk
node1$ docker service create --no-resolve-image -q --name app --replicas 2 busybox sleep 1000
node1$ ! docker service update --no-resolve-image --update-failure-action rollback --update-monitor 3s --args 'sh -c false' app
# The update's state just after is a race in the real swarm (rollback_started or _completed).
node1$ docker service inspect -f '{{.Spec.TaskTemplate.ContainerSpec.Args}}' app
node1$ script -qec 'docker service create --no-resolve-image --name tty --replicas 2 busybox sleep 1000' /dev/null
node1$ ! docker service create --name web busybox
node1$ ! docker service scale nosuch=2
node1$ ! docker service create --publish abc busybox
node1$ ! docker service create --mode foo busybox
node1$ ! docker service create --limit-memory 10x busybox
node1$ ! docker service ps nosuch
node1$ docker service rm web long nowhere greedy crash talk app tty
node1$ ! docker service rm web
node1$ docker service ls
node1$ docker swarm leave --force
