import { byId } from './dom.ts'
import type { DemoDialog } from './dom.ts'

let answer: ((confirmed: boolean) => void) | undefined

const dialog = () => byId('confirm') as DemoDialog

function settle(confirmed: boolean): void {
  const resolve = answer
  answer = undefined
  if (dialog().open) dialog().close()
  resolve?.(confirmed)
}

byId('confirm-yes').addEventListener('click', () => settle(true))
byId('confirm-no').addEventListener('click', () => settle(false))
// Escape closes the dialog: that is a "no".
byId('confirm').addEventListener('close', () => settle(false))

/** Withdraws an open question: what it asked about is gone (the session ended meanwhile). */
export function cancelConfirm(): void {
  settle(false)
}

/**
 * Asks before an action another device would feel, in the page's own `<dialog>` (a modal the
 * keyboard and screen readers handle): resolves `true` only when the user chose `action`.
 */
export function confirmAction(question: string, action: string): Promise<boolean> {
  settle(false)
  byId('confirm-text').textContent = question
  byId('confirm-yes').textContent = action
  return new Promise((resolve) => {
    answer = resolve
    dialog().showModal()
    byId('confirm-no').focus()
  })
}
