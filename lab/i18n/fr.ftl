# Texte d'écran de swarmlab, en français. La sortie de Docker n'est jamais traduite.

welcome-title = Bienvenue dans swarmlab
welcome-body =
    Chaque panneau de droite est un shell sur un hôte Docker virtuel. Tapez-y de vraies commandes docker : elles s'exécutent sur un moteur swarm intégré qui répond exactement comme Docker.

    Commencez par le premier nœud :

        docker swarm init --advertise-addr $(hostname -i)

    puis collez dans les autres nœuds la commande join qu'il affiche, et lancez

        docker node ls

    La vue du cluster, en bas, se remplit. F1 montre toutes les touches.
play-title = Jeu libre
play-body =
    { $nodes } nœuds virtuels dans un swarm déjà formé, dont { $managers } managers, node1 en tête. Ni leçon ni vérification : essayez tout.

    La commande `lab`, dans n'importe quel panneau, agit sur le monde : `lab node off node2`, `lab node disconnect node3`, `lab crash web.1`, `lab image crash nginx:broken`, `lab speed 10x`, `lab skip`. `lab help` donne la liste complète.

play-body-blank =
    { $nodes } nœuds virtuels, pas encore de swarm : commencez par docker swarm init --advertise-addr $(hostname -i) sur node1. Ni leçon ni vérification : essayez tout.

    La commande `lab`, dans n'importe quel panneau, agit sur le monde : `lab node off node2`, `lab node disconnect node3`, `lab crash web.1`, `lab image crash nginx:broken`, `lab speed 10x`, `lab skip`. `lab help` donne la liste complète.

status-help = F1 aide
status-focus = Alt+1…9 nœud
status-next = F2 suivant
status-zoom = F3 zoom
status-speed = F4 vitesse : { $speed }
status-skip = F5 avance rapide
status-quit = F10 quitter
speed-paused = en pause

cluster-title = Cluster
cluster-empty = Pas encore de swarm : lancez docker swarm init sur un nœud.
cluster-quorum = Managers joignables { $up }/{ $total } · quorum { $quorum } · leader { $leader } · mandat { $term } · commit { $commit }
quorum-ok = tenu
quorum-lost = PERDU
leader-none = aucun
node-manager = manager
node-worker = worker
node-leader = leader
node-off = éteint
node-cut = déconnecté
node-outside = hors swarm
node-no-tasks = aucune tâche

help-title = Touches
help-focus = Alt+1…Alt+9, ou un clic : le panneau de ce nœud · Alt+0 : la leçon
help-next = F2 ou Alt+n : panneau suivant
help-zoom = F3 ou Alt+z : agrandir le panneau actif à tout l'écran, et revenir
help-speed = F4 ou Alt+s : vitesse du temps virtuel : 1x, 10x, en pause
help-skip = F5 ou Alt+f : avancer jusqu'à ce que le cluster soit au repos
help-power = F6 ou Alt+p : éteindre le nœud actif, ou le rallumer
help-cut = F7 ou Alt+d : couper le nœud actif du réseau, ou le reconnecter
help-scroll = Maj+PgPréc/PgSuiv ou la molette : remonter dans un panneau
help-lang = F9 ou Alt+l : français / English
help-quit = F10 ou Alt+q : quitter (le lab et ses shells s'arrêtent)
help-lab = Dans un panneau, `lab help` liste ce que fait la commande lab.
help-close = Une touche ferme cette aide.

pane-exited = [le shell s'est terminé : Entrée en relance un]
notice-port = Le port { $port } ne peut pas être ouvert sur { $addr } ; il répond sur { $alt } à la place.
notice-speed = Temps virtuel : { $speed }
notice-skip = Avance rapide de { $seconds } s de temps virtuel.
notice-power-off = { $node } est éteint.
notice-power-on = { $node } est rallumé.
notice-disconnect = { $node } est coupé du réseau.
notice-reconnect = { $node } est de retour sur le réseau.

notice-crashed = Le conteneur { $container } a été tué (code 137).
notice-nothing-to-crash = Aucun conteneur en marche sur { $node }.
notice-confirm-reset = F12 encore une fois pour jeter ce cluster et repartir de zéro.
notice-reset = Un cluster tout neuf : aucun nœud n'est plus dans un swarm.
help-crash = F8 ou Alt+c : tuer un conteneur en marche sur le nœud actif
help-reset = F12 ou Alt+r, deux fois : remettre le lab à neuf

notice-step-done = ✓ Étape réussie : la suivante est ouverte.
notice-lesson-done = ✓ Leçon terminée ! Alt+g (ou l dans le panneau de la leçon) ouvre la suivante.
notice-progress-corrupt = Votre fichier de progression était abîmé ; il a été mis de côté ({ $path }) et vous repartez de zéro.
notice-progress-unsaved = La progression n'a pas pu être enregistrée : { $error }
lesson-step = Étape { $n }/{ $total }
lesson-done = ✓ réussie
lesson-hint = Indice { $n }
lesson-solution = Solution
lesson-keys = t taper le bloc suivant · h indice · s solution · n/p étape · r refaire · l leçons
lesson-keys-short = Alt+i indice · Alt+u refaire l'étape · Alt+t taper · Alt+o solution · Alt+←/→ étape · Alt+g leçons
lesson-picker = Leçons
lesson-picker-keys = Échap fermer · ↑/↓ choisir · Entrée y aller (les étapes d'avant sont rejouées)
lesson-complete = ✓ Leçon terminée.
help-lesson = Dans la leçon : Alt+t tape le bloc de commandes suivant dans son panneau, Alt+i montre un indice, Alt+o la solution, Alt+←/→ changent d'étape, Alt+g choisit une leçon
notice-lesson-error = La leçon n'a pas pu être préparée : { $error }

lesson-passed-next = ✓ Étape réussie. Lisez la suite, puis n (ou Alt+→) pour l'étape suivante.
feedback-title = Pas encore :
feedback-redo = Coincé ? Alt+u recommence l'étape sur un cluster neuf.
check-not-run = Lancez `{ $command }` sur { $node }.
check-no-node = Il n'y a pas de nœud { $node } dans ce lab.
check-no-manager = Aucun manager ne répond : pas encore de swarm, ou ses managers sont éteints.
check-exit-ok = `{ $command }` devrait réussir ; il échoue (code { $got }).
check-exit = `{ $command }` devrait se terminer avec le code { $want } ; il donne { $got }.
check-equals = `{ $command }` devrait afficher « { $want } ».
check-contains = `{ $command }` devrait montrer « { $want } ».
check-matches = `{ $command }` devrait correspondre à « { $want } ».
check-lines = `{ $command }` devrait lister { $want } lignes ; il en liste { $got }.
check-now = Le cluster répond :
check-now-empty = Le cluster ne répond rien.
check-more = … et { $n } lignes de plus
help-redo = Alt+u (ou r dans la leçon) : recommencer l'étape sur un cluster neuf · R dans la leçon : toute la leçon
notice-step-passed = ✓ Étape réussie : Alt+→ pour la suivante quand vous êtes prêt.
check-lines-one = `{ $command }` devrait lister 1 ligne ; il en liste { $got }.
notice-powered-off = { $node } est éteint : F6 (ou lab node on { $node } dans un autre panneau) le rallume.
pane-powered-off = ⏻ { $node } est éteint · F6 le rallume
slip-wrong-node = Cette étape lance `{ $command }` sur { $want } ; vous l'avez lancée sur { $node }.
slip-wrong-node-changed = Cette étape lance `{ $command }` sur { $want } ; vous l'avez lancée sur { $node }, où elle a pu changer le cluster : défaites-la là-bas, ou reprenez l'étape.
slip-init-elsewhere = Cette étape crée le swarm sur { $want } ; vous en avez créé un sur { $node }. `docker swarm leave --force` sur { $node } le défait, ou reprenez l'étape.
slip-swarms = Les nœuds sont dans { $count } swarms différents ({ $swarms } ; chacun mené par le premier nommé). `docker swarm leave --force` sort un nœud du mauvais, ou reprenez l'étape.
feedback-redo-now = Alt+u reprend cette étape sur un cluster neuf, tel qu'il était à son ouverture.
notice-step-restarted = ↺ L'étape { $step } reprend sur un cluster neuf.
notice-lesson-restarted = ↺ La leçon reprend sur un cluster neuf.
lab-bad-exit-code = code de sortie invalide « { $code } »
lab-bad-image-state = état d'image inconnu « { $state } » : missing, crash ou ok
lab-which-node = quel nœud ? lab node { $action } NŒUD
lab-bad-node-action = action inconnue « { $action } » : off, on, disconnect ou reconnect
lab-bad-speed = vitesse inconnue « { $speed } » : pause, 1x ou 10x
lab-unknown = commande inconnue « { $command } » ; voyez 'lab help'
lab-no-node = il n'y a pas de nœud « { $node } » dans ce lab
lab-image-missing = image { $image } : désormais absente du registre
lab-image-crash = image { $image } : ses conteneurs sortent désormais avec { $code } au démarrage
lab-image-ok = image { $image } : marche de nouveau
lab-powered-on = { $node } : allumé
lab-powered-off = { $node } : éteint (lab node on { $node } le rallume)
lab-reconnected = { $node } : de retour sur le réseau
lab-disconnected = { $node } : coupé du réseau (lab node reconnect { $node } l'y remet)
lab-split = réseau coupé : { $side } | { $others } (lab heal le répare)
lab-healed = réseau réparé : chaque nœud joint tous les autres
lab-crashed = { $container }
lab-crash-none = aucun conteneur en marche { $container }
lab-crash-none-on = aucun conteneur en marche { $container } sur { $node }
lab-crash-several = { $container } désigne plusieurs conteneurs sur { $node }
lab-speed = le temps virtuel avance à { $speed }
lab-paused = temps virtuel en pause (lab speed 1x le relance)
lab-skipped = avance rapide : le cluster est au repos
lab-reset = le lab repart d'un cluster neuf
lab-live-only = speed et reset ne s'appliquent qu'au lab interactif
notice-copied = { $count } caractères copiés, lignes repliées jointes · Alt+v colle
help-copy = Glisser dans un terminal : copier (lignes repliées jointes) · Alt+v : coller
