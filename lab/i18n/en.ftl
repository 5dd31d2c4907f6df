# swarmlab's own screen text, English. Docker's output is never translated.

welcome-title = Welcome to swarmlab
welcome-body =
    Each pane on the right is a shell on one virtual Docker host. Type real docker commands there: they run against an embedded swarm engine that answers exactly as Docker does.

    Start with the first node:

        docker swarm init --advertise-addr $(hostname -i)

    then paste the join command it prints into the other nodes, and run

        docker node ls

    Watch the cluster view below fill up. Press F1 for every key.
play-title = Free play
play-body =
    { $nodes } virtual nodes in a swarm already formed, { $managers } of them managers, node1 leading. No lesson, no checks: try anything.

    The `lab` command in any pane changes the world: `lab node off node2`, `lab node disconnect node3`, `lab crash web.1`, `lab image crash nginx:broken`, `lab speed 10x`, `lab skip`. Type `lab help` for the whole list.

play-body-blank =
    { $nodes } virtual nodes, no swarm yet: start with docker swarm init --advertise-addr $(hostname -i) on node1. No lesson, no checks: try anything.

    The `lab` command in any pane changes the world: `lab node off node2`, `lab node disconnect node3`, `lab crash web.1`, `lab image crash nginx:broken`, `lab speed 10x`, `lab skip`. Type `lab help` for the whole list.

status-help = F1 help
status-focus = Alt+1…9 node
status-next = F2 next
status-zoom = F3 zoom
status-speed = F4 speed: { $speed }
status-skip = F5 skip ahead
status-quit = F10 quit
speed-paused = paused

cluster-title = Cluster
cluster-empty = No swarm yet: run docker swarm init on a node.
cluster-quorum = Managers reachable { $up }/{ $total } · quorum { $quorum } · leader { $leader } · term { $term } · commit { $commit }
quorum-ok = held
quorum-lost = LOST
leader-none = none
node-manager = manager
node-worker = worker
node-leader = leader
node-off = powered off
node-cut = disconnected
node-outside = not in a swarm
node-no-tasks = no tasks

help-title = Keys
help-focus = Alt+1…Alt+9, or a mouse click: focus that node's pane · Alt+0: the lesson
help-next = F2 or Alt+n: next pane
help-zoom = F3 or Alt+z: zoom the focused pane to the whole screen, and back
help-speed = F4 or Alt+s: speed of virtual time: 1x, 10x, paused
help-skip = F5 or Alt+f: skip ahead until the cluster is idle
help-power = F6 or Alt+p: power the focused node off, or on again
help-cut = F7 or Alt+d: disconnect the focused node from the network, or reconnect it
help-scroll = Shift+PgUp/PgDn or the mouse wheel: scroll back in a pane
help-lang = F9 or Alt+l: français / English
help-quit = F10 or Alt+q: quit (the lab and its shells stop)
help-lab = In a pane, `lab help` lists what the lab command can do.
help-close = Any key closes this help.

pane-exited = [the shell exited: press Enter to start a new one]
notice-port = Port { $port } cannot be bound on { $addr }; it answers on { $alt } instead.
notice-speed = Virtual time: { $speed }
notice-skip = Skipped ahead { $seconds } s of virtual time.
notice-power-off = { $node } is powered off.
notice-power-on = { $node } is powered on again.
notice-disconnect = { $node } is cut off from the network.
notice-reconnect = { $node } is back on the network.

notice-crashed = Container { $container } was killed (exit 137).
notice-nothing-to-crash = No running container on { $node }.
notice-confirm-reset = Press F12 again to throw this cluster away and start afresh.
notice-reset = A fresh cluster: every node is out of any swarm again.
help-crash = F8 or Alt+c: kill a running container on the focused node
help-reset = F12 or Alt+r, twice: reset the lab to a fresh cluster

notice-step-done = ✓ Step done: the next one is open.
notice-lesson-done = ✓ Lesson complete! Alt+g (or l in the lesson pane) opens the next one.
notice-progress-corrupt = Your progress file was damaged; it was set aside as { $path } and you start afresh.
notice-progress-unsaved = Progress could not be saved: { $error }
lesson-step = Step { $n }/{ $total }
lesson-done = ✓ done
lesson-hint = Hint { $n }
lesson-solution = Solution
lesson-keys = t type the next block · h hint · s solution · n/p step · r redo step · l lessons
lesson-keys-short = Alt+i hint · Alt+u redo step · Alt+t type · Alt+o solution · Alt+←/→ step · Alt+g lessons
lesson-picker = Lessons
lesson-picker-keys = Esc close · ↑/↓ choose · Enter jump (earlier steps are replayed)
lesson-complete = ✓ Lesson complete.
help-lesson = In the lesson: Alt+t types the next command block into its pane, Alt+i shows a hint, Alt+o the solution, Alt+←/→ change step, Alt+g picks a lesson
notice-lesson-error = The lesson could not be set up: { $error }

lesson-passed-next = ✓ Step passed. Read on, then n (or Alt+→) for the next step.
feedback-title = Not there yet:
feedback-redo = Stuck? Alt+u starts this step again on a fresh cluster.
check-not-run = Run `{ $command }` on { $node }.
check-no-node = There is no node { $node } in this lab.
check-no-manager = No manager answers: there is no swarm yet, or its managers are off.
check-exit-ok = `{ $command }` should succeed; it fails (exit { $got }).
check-exit = `{ $command }` should exit with { $want }; it exits with { $got }.
check-equals = `{ $command }` should print “{ $want }”.
check-contains = `{ $command }` should show “{ $want }”.
check-matches = `{ $command }` should match “{ $want }”.
check-lines = `{ $command }` should list { $want } lines; it lists { $got }.
check-now = The cluster answers:
check-now-empty = The cluster answers nothing.
check-more = … and { $n } more lines
help-redo = Alt+u (or r in the lesson): start the step again on a fresh cluster · R in the lesson: the whole lesson
notice-step-passed = ✓ Step passed: Alt+→ for the next one when you are ready.
check-lines-one = `{ $command }` should list 1 line; it lists { $got }.
notice-powered-off = { $node } is powered off: F6 (or lab node on { $node } in another pane) powers it on.
pane-powered-off = ⏻ { $node } is powered off · F6 powers it on
slip-wrong-node = This step runs `{ $command }` on { $want }; you ran it on { $node }.
slip-wrong-node-changed = This step runs `{ $command }` on { $want }; you ran it on { $node }, where it may have changed the cluster: undo it there, or start the step again.
slip-init-elsewhere = This step creates the swarm on { $want }; you created one on { $node }. `docker swarm leave --force` on { $node } undoes it, or start the step again.
slip-swarms = The nodes are in { $count } different swarms ({ $swarms }; each led by the first named). `docker swarm leave --force` takes a node out of the wrong one, or start the step again.
feedback-redo-now = Alt+u starts this step again on a fresh cluster, as it was when the step opened.
notice-step-restarted = ↺ Step { $step } starts again on a fresh cluster.
notice-lesson-restarted = ↺ The lesson starts again on a fresh cluster.
lab-bad-exit-code = invalid exit code "{ $code }"
lab-bad-image-state = unknown image state "{ $state }": missing, crash or ok
lab-which-node = which node? lab node { $action } NODE
lab-bad-node-action = unknown node action "{ $action }": off, on, disconnect or reconnect
lab-bad-speed = unknown speed "{ $speed }": pause, 1x or 10x
lab-unknown = unknown command "{ $command }"; see 'lab help'
lab-no-node = there is no node "{ $node }" in this lab
lab-image-missing = image { $image }: now missing from the registry
lab-image-crash = image { $image }: its containers now exit with { $code } on start
lab-image-ok = image { $image }: works again
lab-powered-on = { $node }: powered on
lab-powered-off = { $node }: powered off (lab node on { $node } brings it back)
lab-reconnected = { $node }: back on the network
lab-disconnected = { $node }: cut off the network (lab node reconnect { $node } brings it back)
lab-split = network split: { $side } | { $others } (lab heal mends it)
lab-healed = network mended: every node reaches every other
lab-crashed = { $container }
lab-crash-none = no running container { $container }
lab-crash-none-on = no running container { $container } on { $node }
lab-crash-several = { $container } names several containers on { $node }
lab-speed = virtual time runs at { $speed }
lab-paused = virtual time paused (lab speed 1x starts it again)
lab-skipped = skipped ahead: the cluster is idle
lab-reset = the lab starts again from a fresh cluster
lab-live-only = speed and reset apply to the live lab only
notice-copied = Copied { $count } characters, wrapped lines joined · Alt+v pastes them
help-copy = Mouse drag in a pane: copy, wrapped lines joined · Alt+v: paste
