# A three-node swarm: one manager, two workers, then a second manager.
# Run it with: swarmlab run examples/three-node-swarm.sh
node1$ docker swarm init --advertise-addr $(hostname -i)
node1$ TOKEN=$(docker swarm join-token -q worker)
node2$ docker swarm join --token $TOKEN 127.10.0.11:2377
node3$ docker swarm join --token $TOKEN 127.10.0.11:2377
node1$ docker node ls
# Workers cannot manage the swarm.
node2$ ! docker node ls
node1$ docker node promote node2
node1$ docker node update --availability drain node1
node1$ docker node ls
node1$ docker node inspect --pretty self
