// Spoken alerts: opt-in, the browser's Web Speech API (speechSynthesis); the choice is kept in this browser.
const KEY = 'millwright.dashboard.speak-alerts';

export function setUpSpokenAlerts(checkbox) {
  const supported = 'speechSynthesis' in window && 'SpeechSynthesisUtterance' in window;
  if (!supported) {
    checkbox.disabled = true;
    checkbox.parentElement.append(' (not supported by this browser)');
    return { speak() {} };
  }
  checkbox.checked = localStorage.getItem(KEY) === 'on';
  checkbox.addEventListener('change', () => {
    localStorage.setItem(KEY, checkbox.checked ? 'on' : 'off');
    if (checkbox.checked) {
      say('Spoken alerts on');
    } else {
      window.speechSynthesis.cancel();
    }
  });
  return {
    speak(text) {
      if (checkbox.checked) {
        say(text);
      }
    },
  };
}

function say(text) {
  const utterance = new SpeechSynthesisUtterance(text);
  utterance.lang = document.documentElement.lang || 'en';
  window.speechSynthesis.speak(utterance);
}
