# A single-node swarm: init, tokens, node commands and the manager's refusals.
node1$ ! docker node ls
node1$ ! docker swarm join-token worker
node1$ docker swarm init --advertise-addr 127.0.0.1
node1$ ! docker swarm init
node1$ docker swarm join-token worker
node1$ docker swarm join-token manager
node1$ docker swarm join-token -q worker
node1$ docker swarm join-token --rotate worker
node1$ ! docker swarm join-token nobody
node1$ docker info --format '{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}} {{.Swarm.Managers}} {{.Swarm.Nodes}}'
node1$ docker node ls
node1$ docker node ls --format '{{.Hostname}} {{.Status}} {{.Availability}} {{.ManagerStatus}}'
node1$ docker node inspect -f '{{.Spec.Role}} {{.Spec.Availability}} {{.Status.State}}' self
node1$ docker node inspect --pretty self
node1$ docker node ps
node1$ docker node update --availability drain self
node1$ docker node ls --format '{{.Availability}}'
node1$ docker node update --availability active --label-add zone=a self
node1$ docker node inspect -f '{{.Spec.Labels}}' self
node1$ ! docker node update --label-rm nosuch self
node1$ ! docker node demote self
node1$ ! docker node inspect nosuch
node1$ ! docker node ps nosuch
node1$ ! docker swarm leave
node1$ docker swarm update --task-history-limit 3
node1$ docker info --format '{{.Swarm.Cluster.Spec.Orchestration.TaskHistoryRetentionLimit}}'
node1$ ! docker swarm update --task-history-limit x
node1$ docker swarm unlock-key
node1$ ! docker node bogus
node1$ ! docker node ls --bogus
node1$ docker swarm leave --force
node1$ ! docker node ls
