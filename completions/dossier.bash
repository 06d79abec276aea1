# bash completion for dossier(1): commands, each command's options, and the
# files or folders an option or argument takes.  Needs nothing beyond bash
# (no bash-completion helpers), so sourcing this file is enough.

_dossier()
{
	local cur prev cmd i
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	local commands="build serve check render pdf verify diff month migrate help version"

	# The command: the first word after the global options.
	cmd=
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		--color) ((i++)) ;;
		-*) ;;
		*) cmd=${COMP_WORDS[i]}; break ;;
		esac
	done

	# Values of options.
	case $prev in
	--color) COMPREPLY=($(compgen -W "auto always never" -- "$cur")); return ;;
	-c|--content|-t|--templates|-o|--out|-p|--partials)
		if [ "$cmd" = pdf ] && [ "$prev" != -p ]; then
			[ "$prev" = -t ] && return	# pdf -t TITLE
			COMPREPLY=($(compgen -f -- "$cur"))	# pdf -o OUT.pdf
		else
			COMPREPLY=($(compgen -d -- "$cur"))
		fi
		return ;;
	-d|--data|--theme)
		COMPREPLY=($(compgen -f -X '!*.yaml' -- "$cur") $(compgen -f -X '!*.yml' -- "$cur") $(compgen -d -- "$cur")); return ;;
	--paper) COMPREPLY=($(compgen -W "a4 letter" -- "$cur")); return ;;
	--company|--title) return ;;
	esac

	if [ -z "$cmd" ]; then
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "--help --version -V --color=" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$commands" -- "$cur"))
		fi
		return
	fi

	local opts
	case $cmd in
	build)	opts="--content --templates --out --quiet --verbose --force --watch --no-wait --strict --final" ;;
	serve)	opts="--port --content --templates --out --quiet" ;;
	check)	opts="--content --templates --final --strict --json --path" ;;
	render)	opts="--data --partials --strict" ;;
	pdf)	opts="--output --title --theme --paper --company --draft --layout" ;;
	verify)	opts="" ;;
	diff)	opts="--out" ;;
	month)	opts="--content --templates" ;;
	migrate)	opts="--content --templates --dry-run" ;;
	help)	COMPREPLY=($(compgen -W "$commands" -- "$cur")); return ;;
	*)	return ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$opts --color= --help" -- "$cur"))
		[[ ${COMPREPLY[0]} == *= ]] && compopt -o nospace 2>/dev/null
		return
	fi
	if [[ $cmd == check && $prev == --path ]]; then
		COMPREPLY=($(compgen -W "guide tech-provider tech-partner solution-partner" -- "$cur"))
		return
	fi
	case $cmd in
	pdf)	COMPREPLY=($(compgen -f -X '!*.md' -- "$cur") $(compgen -f -X '!*.markdown' -- "$cur") $(compgen -d -- "$cur")) ;;
	render)	COMPREPLY=($(compgen -f -X '!*.mustache' -- "$cur") $(compgen -d -- "$cur")) ;;
	verify)	COMPREPLY=($(compgen -d -- "$cur")) ;;
	esac
}
complete -F _dossier dossier
