# bash completion for newswatch(1)
_newswatch()
{
	local cur prev cmd opts
	COMPREPLY=()
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	local commands="run check status match parse article replay trends tail places test-target import-opml export-opml help"

	if [[ $COMP_CWORD -eq 1 ]]; then
		COMPREPLY=($(compgen -W "$commands --help --version" -- "$cur"))
		return
	fi
	cmd=${COMP_WORDS[1]}
	case $prev in
	--config|-c|--log|--svg)
		COMPREPLY=($(compgen -f -- "$cur"))
		return ;;
	--severity)
		COMPREPLY=($(compgen -W "low normal critical" -- "$cur"))
		return ;;
	-n|--lines|--rule|--feed|--base|--charset|--since|--at)
		return ;;
	esac
	case $cmd in
	run)		opts="--config --once --verbose --quiet --help -v -q" ;;
	check)		opts="--config --help" ;;
	status)		opts="--config --json --help" ;;
	replay)		opts="--since --config --json --help" ;;
	trends)		opts="--since --rule --json --svg --at --config --help" ;;
	match)		opts="--config --json --explain --feed --help" ;;
	parse)		opts="--json --base --charset --help" ;;
	article)	opts="--json --help" ;;
	tail)		opts="--follow --lines --rule --severity --json --config --log --help -f -n" ;;
	places)		opts="--data --help" ;;
	import-opml)	opts="--config --dry-run --help" ;;
	export-opml)	opts="--config --help" ;;
	test-target)	opts="--config --help" ;;
	*)		return ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
	elif [[ $cmd == match || $cmd == parse || $cmd == article || $cmd == import-opml ]]; then
		COMPREPLY=($(compgen -f -- "$cur"))
	fi
}
complete -o filenames -F _newswatch newswatch
