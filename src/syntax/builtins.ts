/**
 * Each shell's builtins and keywords: what a command line can run whatever PATH holds. Read where
 * a program is looked up (`answer/installed.ts`) and where the tldr examples prefer installed
 * programs (`grounding/select.ts`).
 *
 * @module
 */

const COMMON = `alias bg break builtin cd command continue echo eval exec exit export false fg
  getopts hash history jobs kill printf pwd read readonly return set shift source test times
  trap true type ulimit umask unalias unset wait if then else elif fi case esac for while until
  do done in function time select [ [[ ]] { } ! . :`;

/** The builtins and keywords of bash, zsh and fish. */
export const SHELL_BUILTINS: Readonly<Record<"bash" | "zsh" | "fish", ReadonlySet<string>>> = {
  bash: new Set(`${COMMON} bind caller compgen complete compopt coproc declare dirs disown enable
    fc help let local logout mapfile popd pushd readarray shopt suspend typeset`.split(/\s+/)),
  zsh: new Set(`${COMMON} autoload bindkey bye chdir compdef compctl declare dirs disable disown
    echotc echoti emulate enable fc float functions getln integer let limit local log noglob popd
    print pushd pushln r rehash repeat sched setopt stat suspend typeset unfunction unhash
    unlimit unsetopt vared whence where which zcompile zformat zle zmodload zparseopts zprof
    zpty zsocket zstyle foreach end nocorrect coproc`.split(/\s+/)),
  fish: new Set(`abbr and argparse begin bg bind block break breakpoint builtin case cd command
    commandline complete contains continue count disown echo else emit end eval exec exit false
    fg for function functions history if jobs math not or path printf pwd random read realpath
    return set set_color source status string switch test time true type ulimit wait while . :
    [`.split(/\s+/)),
};
